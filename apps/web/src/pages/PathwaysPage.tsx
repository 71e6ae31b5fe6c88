// "Forløb": the coordinators' and steering groups' list of pathways, newest first. Filters (stage, track, district,
// overdue, stalled, release within N weeks, turning 18 within N months) live in the URL, so "back" returns to the same
// list, and each active one is a removable tag. No personal data here: the list is what the API's GET /pathways gives.
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useRequiredSession } from '../auth/auth';
import { Button, PageTitle, RemovableTag, Spinner } from '../components/dkfds';
import { formatDate, formatDateTime } from '../format/dates';
import { LoadError } from './ErrorPages';
import { DISTRICTS, STAGES, TRACKS, mayByRole } from './vocabulary';

type Stage = (typeof STAGES)[number];
type Track = (typeof TRACKS)[number];
type District = (typeof DISTRICTS)[number];

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
  const district = DISTRICTS.find((d) => d === params.get(PARAM.district));
  const overdue = params.get(PARAM.overdue) === 'ja';
  const stalled = params.get(PARAM.stalled) === 'ja';
  const releaseWeeks = wholeParam(params.get(PARAM.release), 104);
  const turningMonths = wholeParam(params.get(PARAM.turning18), 24);
  const cursor = params.get('side') ?? undefined;
  const query = {
    ...(stage ? { stage: stage as Stage } : {}),
    ...(track ? { track: track as Track } : {}),
    ...(district ? { district: district as District } : {}),
    ...(overdue ? { overdue: true } : {}),
    ...(stalled ? { stalled: true } : {}),
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
    const next = new URLSearchParams();
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
      ? [{ name: 'district' as const, label: `${t('pathways.filterDistrict')}: ${t(`district.${district}`)}` }]
      : []),
    ...(overdue ? [{ name: 'overdue' as const, label: t('pathways.tagOverdue') }] : []),
    ...(stalled ? [{ name: 'stalled' as const, label: t('pathways.tagStalled') }] : []),
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
            <select className="form-select" id={PARAM.district} name={PARAM.district} defaultValue={district ?? ''}>
              <option value="">{t('pathways.all')}</option>
              {DISTRICTS.map((d) => (
                <option key={d} value={d}>
                  {t(`district.${d}`)}
                </option>
              ))}
            </select>
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
          <div className="form-group form-group-checkbox">
            <input
              className="form-checkbox"
              type="checkbox"
              id={PARAM.overdue}
              name={PARAM.overdue}
              value="ja"
              defaultChecked={overdue}
            />
            <label htmlFor={PARAM.overdue}>{t('pathways.filterOverdue')}</label>
          </div>
          <div className="form-group form-group-checkbox">
            <input
              className="form-checkbox"
              type="checkbox"
              id={PARAM.stalled}
              name={PARAM.stalled}
              value="ja"
              defaultChecked={stalled}
            />
            <label htmlFor={PARAM.stalled}>{t('pathways.filterStalled')}</label>
          </div>
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
                  <td>{t(`stage.${p.stage}`)}</td>
                  <td>{p.track ? t(`track.${p.track}`) : '–'}</td>
                  <td>{t(`district.${p.district}`)}</td>
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
