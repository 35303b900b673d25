// The `meetings` section of the city file: defaults when it is absent, and what is wrong said in English
// for the organiser who edits the file (a misspelt field, an unknown indicator or host, seats out of range).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CityConfigError, parseCityConfig } from '../src/modules/city-config/city-config.load.ts';

const DEMO = readFileSync(new URL('../config/demo-city.yaml', import.meta.url), 'utf8');
const withMeetings = (section: string) => DEMO.replace(/\nmeetings:\n(?: {2}.*\n|\n)*?(?=# ──)/, `\n${section}\n\n`);
function problemsOf(text: string): string[] {
  try {
    parseCityConfig(text, 'city.yaml');
  } catch (err) {
    if (err instanceof CityConfigError) return err.message.split('\n');
    throw err;
  }
  return [];
}

describe('the meetings section of the city file', () => {
  it('reads the demo city and fills defaults when the section is absent', () => {
    const demo = parseCityConfig(DEMO, 'demo.yaml').meetings;
    expect(demo.ranking.weights).toEqual({ gdp: 20, 'industrial-va': 25, fai: 20, 'retail-sales': 15, 'budget-revenue': 20 });
    expect(demo.schedule.monthly_hosts).toEqual(['lin-zhenhua']);
    const none = parseCityConfig(withMeetings(''), 'city.yaml').meetings;
    expect(none).toEqual({
      schedule: { location: '市政府三楼第一会议室', durations: { interview: 60, special: 90, monthly: 120 }, monthly_hosts: [] },
      ranking: { method: 'rank_points', weights: {}, exchange_seats: 2, statement_seats: 2, interview: { bottom: 1, red_months: 3, overdue_tasks: true, max_units: 10 } },
    });
    // A partial section keeps the defaults of what it leaves out.
    const partial = parseCityConfig(withMeetings('meetings:\n  ranking: { method: target_pace, interview: { bottom: 2 } }'), 'city.yaml').meetings;
    expect(partial.ranking).toMatchObject({ method: 'target_pace', exchange_seats: 2, interview: { bottom: 2, red_months: 3 } });
    expect(partial.schedule.durations.monthly).toBe(120);
  });

  it('says what is wrong: unknown indicator or host, seats out of range, a misspelt field, a bad method', () => {
    const problems = problemsOf(
      withMeetings('meetings:\n  schedule: { monthly_hosts: [lin-zhenhau] }\n  ranking: { method: points, weights: { gpd: 1 }, exchange_seats: 5, statment_seats: 1 }'),
    );
    const text = problems.join('\n');
    expect(text).toContain('meetings.ranking.method');
    expect(text).toContain('rank_points, target_pace');
    expect(text).toContain('exchange_seats');
    expect(text).toContain('"statment_seats"');
    // Cross-references are checked once the section is well-formed.
    const refs = problemsOf(withMeetings('meetings:\n  schedule: { monthly_hosts: [lin-zhenhau] }\n  ranking: { weights: { gpd: 1 } }')).join('\n');
    expect(refs).toContain('unknown person code "lin-zhenhau"; did you mean "lin-zhenhua"?');
    expect(refs).toContain('unknown indicator code "gpd"; did you mean "gdp"?');
    expect(problemsOf(withMeetings('meetings:\n  ranking: { weights: { gdp: 0 } }')).join('\n')).toContain('a weight above 0');
  });
});
