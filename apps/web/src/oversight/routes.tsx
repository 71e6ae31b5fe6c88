// The operative group's and the managers' pages, kept apart from the caseworkers' (App.tsx mounts them with one line,
// the header's menu shows them by role): Eskaleringer, Møder, Overblik and Kapacitet.
import { Route } from 'react-router';
import { NavItem } from '../components/dkfds';
import { useTranslation } from 'react-i18next';
import { CapacityPage } from './CapacityPage';
import { DashboardPage } from './DashboardPage';
import { EscalationsPage } from './EscalationsPage';
import { MeetingPage, MeetingsPage } from './MeetingPages';

const has = (roles: readonly string[], ...wanted: string[]) => roles.some((r) => wanted.includes(r));

export function oversightRoutes() {
  return (
    <>
      <Route path="/eskaleringer" element={<EscalationsPage />} />
      <Route path="/moeder" element={<MeetingsPage />} />
      <Route path="/moeder/:id" element={<MeetingPage />} />
      <Route path="/overblik" element={<DashboardPage />} />
      <Route path="/kapacitet" element={<CapacityPage />} />
    </>
  );
}

/**
 * The menu entries for these pages: the board and the meeting for the operative group, figures for managers too;
 * Kapacitet also for a team lead (its own agency's people).
 */
export function OversightNav({ roles }: { roles: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <>
      {has(roles, 'OPERATIVE_GROUP') && <NavItem to="/eskaleringer" label={t('nav.escalations')} />}
      {has(roles, 'OPERATIVE_GROUP') && <NavItem to="/moeder" label={t('nav.meetings')} />}
      {has(roles, 'OPERATIVE_GROUP', 'STEERING', 'MANAGER') && <NavItem to="/overblik" label={t('nav.dashboard')} />}
      {has(roles, 'OPERATIVE_GROUP', 'STEERING', 'MANAGER', 'TEAM_LEAD') && (
        <NavItem to="/kapacitet" label={t('nav.capacity')} />
      )}
    </>
  );
}
