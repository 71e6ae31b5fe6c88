// Every text the web app shows exists in Danish and in English, with the same placeholders.
import da from '../../apps/web/src/i18n/da.json';
import en from '../../apps/web/src/i18n/en.json';
import { CANCEL_CODES, DISTRICTS, EVENT_TYPES, STAGES, TIMELINE_KINDS, TRACKS } from '../../libs/domain/src';

function flatten(tree: object, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([key, value]) =>
      typeof value === 'object' && value !== null
        ? Object.entries(flatten(value as object, `${prefix}${key}.`))
        : [[`${prefix}${key}`, String(value)]],
    ),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('web app texts', () => {
  const danish = flatten(da);
  const english = flatten(en);

  it('has the same keys in Danish and English', () => {
    expect(Object.keys(english).sort()).toEqual(Object.keys(danish).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const differing = Object.keys(danish).filter(
      (key) => JSON.stringify(placeholders(danish[key])) !== JSON.stringify(placeholders(english[key] ?? '')),
    );
    expect(differing).toEqual([]);
  });

  it('names every stage, track, district, timeline entry, event type and cancel code of the domain', () => {
    const named = (group: object) => Object.keys(group).sort();
    expect(named(da.stage)).toEqual([...STAGES].sort());
    expect(named(da.track)).toEqual([...TRACKS].sort());
    expect(named(da.district)).toEqual([...DISTRICTS].sort());
    expect(named(da.timeline).filter((k) => k !== 'stageChange')).toEqual([...TIMELINE_KINDS].sort());
    expect(named(da.event)).toEqual([...EVENT_TYPES].sort());
    expect(named(da.cancelCode)).toEqual([...CANCEL_CODES].sort());
  });
});
