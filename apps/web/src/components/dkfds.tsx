// Thin components of our own that emit Det Fælles Designsystem's markup (its CSS is loaded in main.tsx; none of its
// JavaScript is used, so behaviour such as focus handling lives here).
import { useEffect, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useMatch } from 'react-router';
import sprite from 'dkfds-dist/img/all-svg-icons.svg?url';
import { useAgencyName } from '../api/agencies';
import { signOut, useSession } from '../auth/auth';
import { setLanguage } from '../i18n';
import { OVERSIGHT_AGENCIES } from '../pages/vocabulary';
import { OversightNav } from '../oversight/routes';

export function Icon({ name, className }: { name: string; className?: string }) {
  return (
    <svg className={`icon-svg${className ? ` ${className}` : ''}`} focusable="false" aria-hidden="true">
      <use href={`${sprite}#${name}`} />
    </svg>
  );
}

export function Header() {
  const { t, i18n } = useTranslation();
  // An issuer's display name may already name the agency (the demo accounts' do): then it is not said twice.
  const signedInAs = (user: string, agency: string) =>
    user.includes(agency) ? t('app.signedInAsNamed', { user }) : t('app.signedInAs', { user, agency });
  const session = useSession();
  const agencyName = useAgencyName();
  const other = i18n.language === 'en' ? 'da' : 'en';
  return (
    <header className="header">
      <a className="skipnav" href="#main-content">
        {t('app.skipToContent')}
      </a>
      <div className="portal-info">
        <div className="portal-info-inner container">
          <p className="app-partnership">{t('app.partnership')}</p>
          <div className="portal-user">
            <button
              type="button"
              className="button button-tertiary"
              lang={other}
              title={t('app.languageLabel')}
              onClick={() => setLanguage(other)}
            >
              {t('app.language')}
            </button>
            {session && (
              <>
                <p className="user">{signedInAs(session.displayName, agencyName(session.agency))}</p>
                <button type="button" className="button button-secondary" onClick={() => void signOut()}>
                  {t('app.signOut')}
                </button>
              </>
            )}
          </div>
        </div>
      </div>
      <div className="solution-info">
        <div className="solution-info-inner container">
          <div className="solution-heading">
            <Link to="/">{t('app.name')}</Link>
          </div>
          <div className="additional-info">
            <p>
              <strong className="authority-name">{t('app.authority')}</strong>
            </p>
          </div>
        </div>
      </div>
      {session && (
        <nav className="navigation-menu" aria-label={t('app.nav')}>
          <div className="navigation-menu-inner container">
            <ul className="mainmenu">
              <NavItem to="/opgaver" label={t('nav.queue')} />
              {OVERSIGHT_AGENCIES.includes(session.agency) && <NavItem to="/forloeb" label={t('nav.pathways')} />}
              <OversightNav roles={session.roles} />
            </ul>
          </div>
        </nav>
      )}
    </header>
  );
}

/** A main menu entry; DKFDS marks the current section on the list item, NavLink sets aria-current on the link. */
export function NavItem({ to, label }: { to: string; label: string }) {
  const active = useMatch(`${to}/*`) !== null;
  return (
    <li className={active ? 'active current' : undefined}>
      <NavLink to={to} className="nav-link">
        <span>{label}</span>
      </NavLink>
    </li>
  );
}

/** The page's one h1, also the document title; focused on arrival so a screen reader announces the new page. */
export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
    ref.current?.focus();
  }, [title, t]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {title}
      {children}
    </h1>
  );
}

type ButtonVariant = 'primary' | 'secondary' | 'tertiary' | 'warning';

export function Button({
  variant = 'primary',
  className,
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button type={type} className={`button button-${variant}${className ? ` ${className}` : ''}`} {...props} />;
}

export interface TabLink {
  key: string;
  label: string;
  to: string;
  current: boolean;
}

/** Tabs that are links: the chosen list lives in the URL, so "back" returns to it. */
export function LinkTabs({ label, tabs }: { label: string; tabs: TabLink[] }) {
  return (
    <nav className="tab-container" aria-label={label}>
      <ul className="tab-list">
        {tabs.map((tab) => (
          <li key={tab.key}>
            <Link className="tab-button" to={tab.to} aria-current={tab.current ? 'page' : undefined}>
              <span>{tab.label}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A filter shown as a tag; pressing it removes the filter. */
export function RemovableTag({
  label,
  removeLabel,
  onRemove,
}: {
  label: string;
  removeLabel: string;
  onRemove: () => void;
}) {
  return (
    <button type="button" className="tag tag-icon" aria-label={removeLabel} onClick={onRemove}>
      <span>{label}</span>
      <Icon name="close" />
    </button>
  );
}

export type Tone = 'info' | 'success' | 'warning' | 'error';

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Alert({ tone, heading, children }: { tone: Tone; heading?: string; children?: ReactNode }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <Icon name={tone} className="alert-icon" />
      <div className="alert-body">
        {heading && <p className="alert-heading">{heading}</p>}
        {children && <div className="alert-text">{children}</div>}
      </div>
    </div>
  );
}

export interface SummaryError {
  /** The id of the form control, so the link moves focus there. */
  field: string;
  message: string;
}

/** DKFDS' error summary: focused when it appears, each problem a link to its field. */
export function ErrorSummary({ errors, heading }: { errors: SummaryError[]; heading?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  // Focus moves to the summary when its errors change, not on every render: a page that builds the list anew each
  // time (a form being typed in) would otherwise take the focus away at each keystroke.
  const shown = errors.map((e) => `${e.field}\u0000${e.message}`).join('\u0001');
  useEffect(() => {
    ref.current?.focus();
  }, [shown]);
  return (
    <div className="alert alert-error error-summary" ref={ref} tabIndex={-1} aria-labelledby="error-summary-heading">
      <Icon name="error" className="alert-icon" />
      <div className="alert-body">
        <h2 className="alert-heading h3" id="error-summary-heading">
          {heading ?? t('errors.summary')}
        </h2>
        <ul className="alert-text nobullet-list">
          {errors.map((error, i) => (
            <li key={`${error.field}-${i}`}>
              <a
                className="function-link"
                href={`#${error.field}`}
                onClick={(event) => {
                  const target = document.getElementById(error.field);
                  if (target) {
                    event.preventDefault();
                    target.focus();
                  }
                }}
              >
                {error.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function Spinner() {
  const { t } = useTranslation();
  return (
    <div className="spinner-box" role="status">
      <div className="spinner" aria-hidden="true" />
      <div className="spinner-status">{t('app.loading')}</div>
    </div>
  );
}
