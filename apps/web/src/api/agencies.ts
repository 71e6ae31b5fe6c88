// Agencies by their Danish names (GET /agencies); a code stands in until the list has arrived or for an unknown one.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';

export function useAgencyName(): (code: string | undefined) => string {
  const agencies = useQuery({
    queryKey: ['agencies'],
    queryFn: async () => unwrap(await api.GET('/agencies')),
    staleTime: 60 * 60_000,
  });
  const names = new Map((agencies.data ?? []).map((a) => [a.code, a.name]));
  return (code) => (code ? (names.get(code) ?? code) : '');
}
