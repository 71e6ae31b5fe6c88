// "Forløb": the coordinators' and steering groups' list of pathways, newest first, filtered by stage and district
// through the URL. No personal data here: the list is what the API's GET /pathways gives.
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useRequiredSession } from '../auth/auth';
import { Button, PageTitle, Spinner } from '../components/dkfds';
import { formatDate, formatDateTime } from '../format/dates';
import { LoadError } from './ErrorPages';
import { DISTRICTS, STAGES, mayByRole } from './vocabulary';

type Stage = (typeof STAGES)[number];
type District = (typeof DISTRICTS)[number];

export function PathwaysPage() {
  const { t, i18n } = useTranslation();
  const session = useRequiredSession();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const stage = STAGES.find((s) => s === params.get('fase'));
  const district = DISTRICTS.find((d) => d === params.get('bydel'));
  const cursor = params.get('side') ?? undefined;
  const query = {
    ...(stage ? { stage: stage as Stage } : {}),
    ...(district ? { district: district as District } : {}),
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
    for (const key of ['fase', 'bydel']) {
      const value = form.get(key);
      if (typeof value === 'string' && value) next.set(key, value);
    }
    setParams(next);
  }

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
      <form className="pathway-filters" onSubmit={filter} key={params.toString()}>
        <div className="form-group">
          <label className="form-label" htmlFor="fase">
            {t('pathways.filterStage')}
          </label>
          <select className="form-select" id="fase" name="fase" defaultValue={stage ?? ''}>
            <option value="">{t('pathways.all')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`stage.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label className="form-label" htmlFor="bydel">
            {t('pathways.filterDistrict')}
          </label>
          <select className="form-select" id="bydel" name="bydel" defaultValue={district ?? ''}>
            <option value="">{t('pathways.all')}</option>
            {DISTRICTS.map((d) => (
              <option key={d} value={d}>
                {t(`district.${d}`)}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          {t('pathways.apply')}
        </Button>
      </form>

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
