import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { devLogin, devUsers, startOidc, type AppConfig, type DevUser, type Session } from '../../lib/auth';
import { LanguagePicker } from '../../components/LanguagePicker';

export function SignIn({ config, onSignedIn }: { config: AppConfig; onSignedIn: (session: Session) => void }) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<DevUser[]>([]);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!config.devLogin) return;
    devUsers()
      .then((list) => {
        setUsers(list);
        const admin = list.find((u) => u.roles.includes('admin')) ?? list[0];
        if (admin) setChoice(`${admin.tenant}/${admin.email}`);
      })
      .catch((e: unknown) => setError(String(e)));
  }, [config.devLogin]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const [tenant, email] = choice.split(/\/(.*)/s);
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await devLogin(tenant, email));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  const tenants = [...new Set(users.map((u) => u.tenant))];
  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <h1>{t('signIn.title')}</h1>
        {config.oidc && (
          <button type="button" className="primary" onClick={() => config.oidc && void startOidc(config.oidc)}>
            {t('signIn.oidc')}
          </button>
        )}
        {config.devLogin && (
          <form onSubmit={submit}>
            <label htmlFor="demo-user">{t('signIn.demoUsers')}</label>
            <select id="demo-user" value={choice} onChange={(e) => setChoice(e.target.value)}>
              {tenants.map((tenant) => (
                <optgroup key={tenant} label={tenant}>
                  {users.filter((u) => u.tenant === tenant).map((u) => (
                    <option key={u.email} value={`${u.tenant}/${u.email}`}>
                      {u.name} &lt;{u.email}&gt; ({u.roles.join(', ')})
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <button type="submit" className="primary" disabled={busy || !choice}>
              {busy ? t('signIn.working') : t('signIn.go')}
            </button>
          </form>
        )}
        {!config.devLogin && !config.oidc && <p>{t('signIn.none')}</p>}
        {error && <p className="error" role="alert">{t('signIn.failed', { message: error })}</p>}
        <LanguagePicker />
      </div>
    </main>
  );
}
