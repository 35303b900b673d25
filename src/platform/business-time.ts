// Platform: business dates and times are read in Asia/Shanghai. Formatters are built once:
// constructing an Intl.DateTimeFormat costs far more than formatting with it.
const TZ = 'Asia/Shanghai';
const dateFmt = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ });
const timeFmt = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false });

/** 2026-11-23 */
export const beijingDate = (d: Date): string => dateFmt.format(d);

/** 2026-11-23 09:30 */
export const beijingDateTime = (d: Date): string => `${dateFmt.format(d)} ${timeFmt.format(d)}`;
