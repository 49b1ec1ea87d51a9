import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import type { Me, Permission } from '@tuopin/domain';
import { api, call, isApiError, setApiHandlers, setCsrfToken } from '../api/client';
import { clearRegionCache } from '../api/regionCache';
import { clearQueries } from '../api/queries';

type AuthState = {
  me: Me | null;
  loading: boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<Me | null>;
  /** Whether the session has a permission (Me.permissions, the domain's table for the user's role): every page and button asks this, never the role. */
  can: (p: Permission) => boolean;
};

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const navigate = useNavigate();
  const location = useLocation();
  const locationRef = useRef(location);
  locationRef.current = location;

  const refresh = useCallback(async () => {
    try {
      const m = await call(api.me, { quiet: true });
      setMe(m);
      return m;
    } catch (e) {
      if (isApiError(e) && (e.status === 401 || e.kind === 'UNAUTHENTICATED')) {
        setMe(null);
        return null;
      }
      throw e;
    }
  }, []);

  useEffect(() => {
    setApiHandlers({
      unauthenticated: () => {
        setMe(null);
        setCsrfToken(null);
        clearRegionCache();
        clearQueries();
        const here = locationRef.current;
        if (here.pathname !== '/login') {
          navigate('/login', { replace: true, state: { from: here.pathname + here.search } });
        }
      },
      passwordChangeRequired: () => {
        setMe((m) => (m ? { ...m, mustChangePassword: true } : m));
        if (locationRef.current.pathname !== '/change-password') navigate('/change-password', { replace: true });
      },
    });
  }, [navigate]);

  useEffect(() => {
    refresh()
      .catch(() => setMe(null))
      .finally(() => setLoading(false));
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    clearRegionCache();
    clearQueries();
    const m = await call(api.login, { body: { username, password }, quiet: true });
    setMe(m);
    return m;
  }, []);

  const logout = useCallback(async () => {
    try {
      await call(api.logout, { quiet: true });
    } catch {
      // the session may already be gone; the user is logged out either way
    }
    setCsrfToken(null);
    clearRegionCache();
    clearQueries();
    setMe(null);
    navigate('/login', { replace: true });
  }, [navigate]);

  const can = useCallback((p: Permission) => !!me?.permissions.includes(p), [me]);

  const value = useMemo(
    () => ({ me, loading, login, logout, refresh, can }),
    [me, loading, login, logout, refresh, can],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The logged-in user; only for components rendered behind RequireAuth. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
