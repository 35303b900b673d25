// Sandbox UI: the few line icons the page uses (inline SVG strings, 24×24 grid, currentColor).

/** @param {string} body @param {number} [size] */
const svg = (body, size = 20) =>
  `<svg class="icon" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${body}</svg>`;

export const icons = {
  chat: (/** @type {number} */ s) => svg('<path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6a.5.5 0 0 1-.8-.4V16.9A2.5 2.5 0 0 1 4 14.6z"/><path d="M8.5 8.5h7M8.5 11.5h4.5"/>', s),
  calendar: (/** @type {number} */ s) => svg('<rect x="3.5" y="5" width="17" height="15.5" rx="2.5"/><path d="M3.5 9.5h17M8 3v4M16 3v4"/><path d="M7.5 13h2M11 13h2M14.5 13h2M7.5 16.5h2M11 16.5h2"/>', s),
  search: (/** @type {number} */ s) => svg('<circle cx="11" cy="11" r="6.5"/><path d="m20 20-4.2-4.2"/>', s),
  send: (/** @type {number} */ s) => svg('<path d="M4.5 12 3 4.5l18 7.5-18 7.5z"/><path d="M4.5 12H11"/>', s),
  bell: (/** @type {number} */ s) => svg('<path d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15z"/><path d="M10 20.5a2 2 0 0 0 4 0"/>', s),
  chevronDown: (/** @type {number} */ s) => svg('<path d="m6 9 6 6 6-6"/>', s),
  refresh: (/** @type {number} */ s) => svg('<path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 4.5V11h-6.5"/>', s),
  location: (/** @type {number} */ s) => svg('<path d="M12 21s-6.5-5.6-6.5-11a6.5 6.5 0 0 1 13 0c0 5.4-6.5 11-6.5 11z"/><circle cx="12" cy="10" r="2.3"/>', s),
  clock: (/** @type {number} */ s) => svg('<circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/>', s),
  users: (/** @type {number} */ s) => svg('<circle cx="9" cy="8.5" r="3.5"/><path d="M3 19.5a6 6 0 0 1 12 0"/><path d="M15.5 5.3a3.5 3.5 0 0 1 0 6.4M17.5 14.2a6 6 0 0 1 3.5 5.3"/>', s),
  bot: (/** @type {number} */ s) => svg('<rect x="4.5" y="7.5" width="15" height="11.5" rx="3.5"/><path d="M12 7.5V4.5"/><circle cx="12" cy="3.8" r="1"/><circle cx="9.3" cy="13" r="1.2" fill="currentColor" stroke="none"/><circle cx="14.7" cy="13" r="1.2" fill="currentColor" stroke="none"/><path d="M2.5 12v3M21.5 12v3"/>', s),
  group: (/** @type {number} */ s) => svg('<circle cx="8" cy="9" r="3"/><circle cx="16" cy="9" r="3"/><path d="M2.5 19a5.5 5.5 0 0 1 11 0M10.5 19a5.5 5.5 0 0 1 11 0"/>', s),
  at: (/** @type {number} */ s) => svg('<circle cx="12" cy="12" r="3.5"/><path d="M15.5 8.5v5a2.5 2.5 0 0 0 5 0V12a8.5 8.5 0 1 0-3.3 6.7"/>', s),
  check: (/** @type {number} */ s) => svg('<path d="m5 12.5 4.5 4.5L19 7.5"/>', s),
  info: (/** @type {number} */ s) => svg('<circle cx="12" cy="12" r="9"/><path d="M12 11v5.5M12 7.6v.1"/>', s),
  warning: (/** @type {number} */ s) => svg('<path d="M12 3.5 21.5 20h-19z"/><path d="M12 10v4.5M12 17.3v.1"/>', s),
  error: (/** @type {number} */ s) => svg('<circle cx="12" cy="12" r="9"/><path d="m9 9 6 6M15 9l-6 6"/>', s),
  success: (/** @type {number} */ s) => svg('<circle cx="12" cy="12" r="9"/><path d="m8 12.3 2.8 2.8L16.2 9.5"/>', s),
  video: (/** @type {number} */ s) => svg('<rect x="3" y="6.5" width="12.5" height="11" rx="2.5"/><path d="m15.5 10.5 5-3v9l-5-3"/>', s),
  paperclip: (/** @type {number} */ s) => svg('<path d="m20 11.5-7.8 7.8a5 5 0 0 1-7.1-7.1l8.2-8.2a3.3 3.3 0 0 1 4.7 4.7l-8.2 8.2a1.7 1.7 0 0 1-2.4-2.4l7.5-7.5"/>', s),
  download: (/** @type {number} */ s) => svg('<path d="M12 4v11M7.5 10.5 12 15l4.5-4.5"/><path d="M4.5 19.5h15"/>', s),
  sandbox: (/** @type {number} */ s) => svg('<path d="M12 3 20 7.5v9L12 21l-8-4.5v-9z"/><path d="M4 7.5 12 12l8-4.5M12 12v9"/>', s),
};
