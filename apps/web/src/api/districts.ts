// Districts from the API (GET /districts): the steering group changes the list (PUT /districts/:code), so no page
// keeps its own. A new pathway or a MOVED names a district in use (`active`); a filter offers every district, since
// pathways filed under one taken out of use keep it. While the list loads, or when it cannot be had, a code is shown
// by the app's own name for it (the five seeded districts) or as itself.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from './client';
import type { components } from './schema';

export type District = components['schemas']['DistrictView'];

const byName = (a: District, b: District) => a.name.localeCompare(b.name, 'da');

export function useDistricts() {
  const query = useQuery({
    queryKey: ['districts'],
    queryFn: async () => unwrap(await api.GET('/districts')),
    staleTime: 5 * 60_000,
  });
  const all = [...(query.data ?? [])].sort(byName);
  return {
    query,
    /** Every district (filters). */
    all,
    /** Districts a new pathway or a move may name. */
    active: all.filter((d) => d.active),
  };
}

/** A district's name: the API's, else the app's own for a seeded code, else the code. */
export function useDistrictName(): (code: string | undefined) => string {
  const { t } = useTranslation();
  const { all } = useDistricts();
  const names = new Map(all.map((d) => [d.code, d.name]));
  return (code) => (code ? (names.get(code) ?? t(`district.${code}`, { defaultValue: code })) : '');
}
