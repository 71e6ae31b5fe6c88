// "Forløb": the coordinators' and steering groups' list of pathways, newest first. Filters (stage, track, district,
// overdue, stalled, release within N weeks, turning 18 within N months) live in the URL, so "back" returns to the same
// list, and each active one is a removable tag. No personal data in the list: it is what the API's GET /pathways
// gives. Above it, for those who may (person.search: the coordinators), "Find en person": GET /persons by name words
// and/or birth date, the search in the URL (navn, foedt) so "back" returns to it; every search is audited by the API.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useDistrictName, useDistricts } from '../api/districts';
import { useRequiredSession } from '../auth/auth';
import { Alert, Button, PageTitle, RemovableTag, Spinner } from '../components/dkfds';
import { DistrictsStatus } from '../components/DistrictsStatus';
import { FormField, describedBy } from '../components/FormField';
import { formatCalendarDate, formatDate, formatDateTime, parseDanishDate } from '../format/dates';
import { LoadError } from './ErrorPages';
import { STAGES, TRACKS, isDistrictCode, mayByRole } from './vocabulary';

type Stage = (typeof STAGES)[number];
type Track = (typeof TRACKS)[number];

/** The choices offered for "release within N weeks" and "turning 18 within N months" (the API takes 1-104 and 1-24). */
const RELEASE_WEEKS = [2, 4, 8, 12, 26] as const;
const TURNING_MONTHS = [1, 3, 6, 12] as const;

/** A whole number from the URL within the API's bounds, else nothing (a hand-edited URL is ignored, not a 400). */
function wholeParam(value: string | null, max: number): number | undefined {
  if (!value || !/^[0-9]{1,3}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= max ? n : undefined;
}

/** The URL's names for the filters (Danish, as the address bar shows them). */
const PARAM = {
  stage: 'fase',
  track: 'spor',
  district: 'bydel',
  overdue: 'forfaldne',
  stalled: 'gaaet-i-staa',
  priority: 'prioriteret',
  release: 'loesladelse-uger',
  turning18: 'fylder-18-mdr',
} as const;
type FilterName = keyof typeof PARAM;

export function PathwaysPage() {
  const { t, i18n } = useTranslation();
  const session = useRequiredSession();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const stage = STAGES.find((s) => s === params.get(PARAM.stage));
  const track = TRACKS.find((s) => s === params.get(PARAM.track));
  const districts = useDistricts();
  const districtName = useDistrictName();
  // Any district, in use or not (pathways filed under one taken out of use keep it); once the list is known, a
  // hand-edited code that is none of them is ignored rather than sent.
  const districtParam = params.get(PARAM.district);
  const district =
    isDistrictCode(districtParam) && (!districts.query.isSuccess || districts.all.some((d) => d.code === districtParam))
      ? districtParam
      : undefined;
  const overdue = params.get(PARAM.overdue) === 'ja';
  const stalled = params.get(PARAM.stalled) === 'ja';
  const prioritized = params.get(PARAM.priority) === 'ja';
  const releaseWeeks = wholeParam(params.get(PARAM.release), 104);
  const turningMonths = wholeParam(params.get(PARAM.turning18), 24);
  const cursor = params.get('side') ?? undefined;
  const query = {
    ...(stage ? { stage: stage as Stage } : {}),
    ...(track ? { track: track as Track } : {}),
    ...(district ? { district } : {}),
    ...(overdue ? { overdue: true } : {}),
    ...(stalled ? { stalled: true } : {}),
    ...(prioritized ? { priority: 'HIGH' as const } : {}),
    ...(releaseWeeks ? { releaseWithinWeeks: releaseWeeks } : {}),
    ...(turningMonths ? { turning18WithinMonths: turningMonths } : {}),
    ...(cursor ? { cursor } : {}),
  };
  const list = useQuery({
    queryKey: ['pathways', session.agency, query],
    queryFn: async () => unwrap(await api.GET('/pathways', { params: { query } })),
  });

  function filter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // The person search stays; the filters are replaced.
    const next = new URLSearchParams();
    for (const key of ['navn', 'foedt']) if (params.get(key)) next.set(key, params.get(key)!);
    for (const key of Object.values(PARAM)) {
      const value = form.get(key);
      if (typeof value === 'string' && value) next.set(key, value);
    }
    setParams(next);
  }

  /** The active filters as tags; removing one keeps the others (and starts from the first page). */
  const active: { name: FilterName; label: string }[] = [
    ...(stage ? [{ name: 'stage' as const, label: `${t('pathways.filterStage')}: ${t(`stage.${stage}`)}` }] : []),
    ...(track ? [{ name: 'track' as const, label: `${t('pathways.filterTrack')}: ${t(`track.${track}`)}` }] : []),
    ...(district
      ? [{ name: 'district' as const, label: `${t('pathways.filterDistrict')}: ${districtName(district)}` }]
      : []),
    ...(overdue ? [{ name: 'overdue' as const, label: t('pathways.tagOverdue') }] : []),
    ...(stalled ? [{ name: 'stalled' as const, label: t('pathways.tagStalled') }] : []),
    ...(prioritized ? [{ name: 'priority' as const, label: t('pathways.tagPrioritized') }] : []),
    ...(releaseWeeks ? [{ name: 'release' as const, label: t('pathways.tagRelease', { count: releaseWeeks }) }] : []),
    ...(turningMonths
      ? [{ name: 'turning18' as const, label: t('pathways.tagTurning18', { count: turningMonths }) }]
      : []),
  ];
  function remove(name: FilterName) {
    const next = new URLSearchParams(params);
    next.delete(PARAM[name]);
    next.delete('side');
    setParams(next);
  }
  const weekChoices = [...new Set([...RELEASE_WEEKS, ...(releaseWeeks ? [releaseWeeks] : [])])].sort((a, b) => a - b);
  const monthChoices = [...new Set([...TURNING_MONTHS, ...(turningMonths ? [turningMonths] : [])])].sort(
    (a, b) => a - b,
  );

  const items = list.data?.items ?? [];
  const maySearch = mayByRole('person.search', session.roles);
  const here = `${location.pathname}${location.search}`;
  const pageLink = (side?: string) => {
    const next = new URLSearchParams(params);
    if (side) next.set('side', side);
    else next.delete('side');
    return `?${next.toString()}`;
  };

  return (
    <>
      <PageTitle title={t('pathways.title')} />
      <p>{t('pathways.intro')}</p>
      {mayByRole('pathway.open', session.roles) && (
        <p>
          <Link className="button button-primary" to="/forloeb/ny">
            {t('start.link')}
          </Link>
        </p>
      )}
      {maySearch && <PersonSearch />}
      <form className="pathway-filters" onSubmit={filter} key={params.toString()} aria-labelledby="filters-heading">
        <h2 id="filters-heading" className="h4">
          {t('pathways.filters')}
        </h2>
        <div className="pathway-filter-row">
          <div className="form-group">
            <label className="form-label" htmlFor={PARAM.stage}>
              {t('pathways.filterStage')}
            </label>
            <select className="form-select" id={PARAM.stage} name={PARAM.stage} defaultValue={stage ?? ''}>
              <option value="">{t('pathways.all')}</option>
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {t(`stage.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-group">
            <label className="form-label" htmlFor={PARAM.track}>
              {t('pathways.filterTrack')}
            </label>
            <select className="form-select" id={PARAM.track} name={PARAM.track} defaultValue={track ?? ''}>
              <option value="">{t('pathways.all')}</option>
              {TRACKS.map((s) => (
                <option key={s} value={s}>
                  {t(`track.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-group">
            <label className="form-label" htmlFor={PARAM.district}>
              {t('pathways.filterDistrict')}
            </label>
            <select
              className="form-select"
              id={PARAM.district}
              name={PARAM.district}
              defaultValue={district ?? ''}
              // Drawn again once the districts have arrived, so the URL's district is the one chosen.
              key={districts.query.isSuccess ? 'districts' : 'no-districts'}
              aria-describedby="district-filter-status"
            >
              <option value="">{t('pathways.all')}</option>
              {districts.all.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
            <DistrictsStatus id="district-filter-status" />
          </div>
          <div className="form-group">
            <label className="form-label" htmlFor={PARAM.release}>
              {t('pathways.filterRelease')}
            </label>
            <select
              className="form-select"
              id={PARAM.release}
              name={PARAM.release}
              defaultValue={releaseWeeks ? String(releaseWeeks) : ''}
            >
              <option value="">{t('pathways.any')}</option>
              {weekChoices.map((n) => (
                <option key={n} value={n}>
                  {t('pathways.withinWeeks', { count: n })}
                </option>
              ))}
            </select>
          </div>
          <div className="form-group">
            <label className="form-label" htmlFor={PARAM.turning18}>
              {t('pathways.filterTurning18')}
            </label>
            <select
              className="form-select"
              id={PARAM.turning18}
              name={PARAM.turning18}
              defaultValue={turningMonths ? String(turningMonths) : ''}
            >
              <option value="">{t('pathways.any')}</option>
              {monthChoices.map((n) => (
                <option key={n} value={n}>
                  {t('pathways.withinMonths', { count: n })}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="pathway-filter-row">
          <FilterCheckbox name={PARAM.overdue} checked={overdue} label={t('pathways.filterOverdue')} />
          <FilterCheckbox name={PARAM.stalled} checked={stalled} label={t('pathways.filterStalled')} />
          <FilterCheckbox name={PARAM.priority} checked={prioritized} label={t('pathways.filterPrioritized')} />
          <Button type="submit" variant="secondary">
            {t('pathways.apply')}
          </Button>
        </div>
      </form>
      {active.length > 0 && (
        <div className="queue-filters" role="group" aria-label={t('queue.filters')}>
          {active.map((f) => (
            <RemovableTag
              key={f.name}
              label={f.label}
              removeLabel={t('queue.removeFilter', { name: f.label })}
              onRemove={() => remove(f.name)}
            />
          ))}
        </div>
      )}

      {list.isPending && <Spinner />}
      {list.isError && <LoadError error={list.error} />}
      {list.isSuccess && items.length === 0 && <p>{t('pathways.empty')}</p>}
      {items.length > 0 && (
        <div className="table--responsive-scroll">
          <table className="table table--zebra pathway-table">
            <caption className="sr-only">{t('pathways.caption', { count: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('pathways.colOpened')}</th>
                <th scope="col">{t('pathways.colStage')}</th>
                <th scope="col">{t('pathways.colTrack')}</th>
                <th scope="col">{t('pathways.colDistrict')}</th>
                <th scope="col">{t('pathways.colRelease')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/forloeb/${p.id}`} state={{ from: here }}>
                      {t('pathways.open', { date: formatDateTime(p.openedAt, i18n.language) })}
                    </Link>
                  </td>
                  <td>
                    {t(`stage.${p.stage}`)}
                    {p.priority === 'HIGH' && (
                      <>
                        {' '}
                        <span className="badge badge-info">{t('priority.HIGH')}</span>
                      </>
                    )}
                  </td>
                  <td>{p.track ? t(`track.${p.track}`) : '–'}</td>
                  <td>{districtName(p.district)}</td>
                  <td>{p.expectedReleaseAt ? formatDate(p.expectedReleaseAt, i18n.language) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursor || list.data?.nextCursor) && (
        <nav className="queue-pages" aria-label={t('queue.pagination')}>
          {cursor && <Link to={pageLink()}>{t('pathways.firstPage')}</Link>}
          {list.data?.nextCursor && <Link to={pageLink(list.data.nextCursor)}>{t('pathways.nextPage')}</Link>}
        </nav>
      )}
    </>
  );
}

/** "Find en person": the search form and its results, the search held in the URL (navn, foedt as YYYY-MM-DD). */
function PersonSearch() {
  const { t, i18n } = useTranslation();
  const session = useRequiredSession();
  const [params, setParams] = useSearchParams();
  const name = params.get('navn')?.trim() || undefined;
  const birthDate = parseDanishDate(params.get('foedt') ?? '');
  const [problem, setProblem] = useState<{ field: 'navn' | 'foedt'; message: string }>();
  const searching = name !== undefined || birthDate !== undefined;
  const query = { ...(name ? { name } : {}), ...(birthDate ? { birthDate } : {}) };
  const results = useQuery({
    queryKey: ['persons', session.agency, query],
    queryFn: async () => unwrap(await api.GET('/persons', { params: { query } })),
    enabled: searching,
    // Each search is a logged read of people: not repeated behind the user's back.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const typedName = String(form.get('navn') ?? '').trim();
    const typedDate = String(form.get('foedt') ?? '').trim();
    const date = typedDate ? parseDanishDate(typedDate) : undefined;
    if (typedDate && !date) return setProblem({ field: 'foedt', message: t('pathways.search.errors.dateFormat') });
    if (!typedName && !date) return setProblem({ field: 'navn', message: t('pathways.search.errors.empty') });
    setProblem(undefined);
    const next = new URLSearchParams(params);
    next.delete('side');
    for (const [key, value] of [
      ['navn', typedName],
      ['foedt', date ?? ''],
    ]) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  }
  function clear() {
    const next = new URLSearchParams(params);
    next.delete('navn');
    next.delete('foedt');
    setProblem(undefined);
    setParams(next);
  }

  const people = results.data?.items ?? [];
  return (
    <section className="person-search" aria-labelledby="person-search-heading">
      <h2 id="person-search-heading">{t('pathways.search.heading')}</h2>
      <p>{t('pathways.search.intro')}</p>
      <form className="pathway-filters" onSubmit={search} key={`${name ?? ''}|${birthDate ?? ''}`} noValidate>
        <div className="pathway-filter-row">
          <FormField
            id="navn"
            label={t('pathways.search.name')}
            hint={t('pathways.search.nameHint')}
            error={problem?.field === 'navn' ? problem.message : undefined}
          >
            <input
              className="form-input"
              id="navn"
              name="navn"
              type="search"
              autoComplete="off"
              defaultValue={name ?? ''}
              aria-describedby={describedBy('navn', problem?.field === 'navn')}
              aria-invalid={problem?.field === 'navn' ? true : undefined}
            />
          </FormField>
          <FormField
            id="foedt"
            label={t('pathways.search.birthDate')}
            hint={t('start.dateHint')}
            error={problem?.field === 'foedt' ? problem.message : undefined}
          >
            <input
              className="form-input input-width-s"
              id="foedt"
              name="foedt"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              defaultValue={birthDate ? formatDanish(birthDate) : ''}
              aria-describedby={describedBy('foedt', problem?.field === 'foedt')}
              aria-invalid={problem?.field === 'foedt' ? true : undefined}
            />
          </FormField>
          <Button type="submit">{t('pathways.search.submit')}</Button>
          {searching && (
            <Button variant="secondary" onClick={clear}>
              {t('pathways.search.clear')}
            </Button>
          )}
        </div>
      </form>
      {searching && results.isPending && <Spinner />}
      {results.isError && <LoadError error={results.error} />}
      {results.isSuccess && (
        <div aria-live="polite">
          <h3>{t('pathways.search.results')}</h3>
          {people.length === 0 && <p>{t('pathways.search.none')}</p>}
          {results.data.truncated && <Alert tone="info">{t('pathways.search.truncated')}</Alert>}
          {people.length > 0 && (
            <table className="table table--zebra person-results">
              <caption className="sr-only">{t('pathways.search.caption', { count: people.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pathways.search.colName')}</th>
                  <th scope="col">{t('pathways.search.colBirthDate')}</th>
                  <th scope="col">{t('pathways.search.colPathways')}</th>
                </tr>
              </thead>
              <tbody>
                {people.map((person) => (
                  <tr key={person.personId}>
                    <td>{person.name}</td>
                    <td>{formatCalendarDate(person.birthDate, i18n.language)}</td>
                    <td>
                      <ul className="nobullet-list">
                        {person.pathways.map((p) => (
                          <li key={p.id}>
                            <Link to={`/forloeb/${p.id}`}>
                              {t('pathways.search.pathway', {
                                stage: t(`stage.${p.stage}`),
                                opened: formatDate(p.openedAt, i18n.language),
                              })}
                            </Link>
                            {p.status === 'CLOSED' ? ` (${t('pathways.search.closed')})` : ''}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

/** YYYY-MM-DD as the Danish form shows it: dd.mm.åååå. */
function formatDanish(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** A yes/no filter of the list: sent as `name=ja` when ticked, so the URL holds it. */
function FilterCheckbox({ name, checked, label }: { name: string; checked: boolean; label: string }) {
  return (
    <div className="form-group form-group-checkbox">
      <input className="form-checkbox" type="checkbox" id={name} name={name} value="ja" defaultChecked={checked} />
      <label htmlFor={name}>{label}</label>
    </div>
  );
}
