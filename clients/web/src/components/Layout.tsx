import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from '../lib/router';
import { useSession } from '../lib/session';
import { LanguagePicker } from './LanguagePicker';

const ZONES = ['UTC', 'Asia/Shanghai', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles'];

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session, timeZone, setTimeZone, signOut } = useSession();
  const { path } = useLocation();
  const zones = ZONES.includes(timeZone) ? ZONES : [timeZone, ...ZONES];
  const nav = [
    ['/board', t('nav.board')],
    ['/leads', t('nav.leads')],
    ['/lists/organizations', t('nav.lists')],
    ['/graph', t('nav.graph')],
    ['/dashboards', t('nav.dashboards')],
    ['/explorer', t('nav.explorer')],
  ] as const;
  return (
    <div className="shell">
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="topbar">
        <strong className="brand">{t('app.title')}</strong>
        <nav aria-label="main">
          {nav.map(([to, label]) => (
            <Link key={to} to={to} aria-current={path.startsWith(to.split('/').slice(0, 2).join('/')) ? 'page' : undefined}>{label}</Link>
          ))}
        </nav>
        <div className="topbar-end">
          <span className="muted who" data-testid="who">{t('app.signedInAs', { email: session.email, tenant: session.tenant })}</span>
          <LanguagePicker />
          <label className="inline">
            <span>{t('app.timeZone')}</span>
            <select value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
              {zones.map((z) => <option key={z}>{z}</option>)}
            </select>
          </label>
          <button type="button" onClick={signOut}>{t('app.signOut')}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
