import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, request, setCsrfToken, setUnauthenticatedHandler } from './api';
import type { Me } from './types';

interface AuthState {
  /** The signed-in user, null when signed out, undefined while it is being found out. */
  me: Me | null | undefined;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Set when the session ended by itself (expired, revoked). */
  sessionEnded: boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [sessionEnded, setSessionEnded] = useState(false);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setMe((previous) => {
        if (previous) setSessionEnded(true);
        return null;
      });
      queryClient.clear();
    });
    request<Me>('/api/v1/_auth/me', { quiet401: true })
      .then(({ body }) => {
        setCsrfToken(body.csrfToken);
        setMe(body);
      })
      .catch(() => setMe(null));
  }, [queryClient]);

  const login = useCallback(
    async (username: string, password: string) => {
      const { body } = await request<Me>('/api/v1/_auth/login', {
        method: 'POST',
        body: { username, password },
        quiet401: true,
      });
      setCsrfToken(body.csrfToken);
      queryClient.clear();
      setSessionEnded(false);
      setMe(body);
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await request('/api/v1/_auth/logout', { method: 'POST', quiet401: true });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    setCsrfToken(null);
    queryClient.clear();
    setMe(null);
  }, [queryClient]);

  const value = useMemo(() => ({ me, login, logout, sessionEnded }), [me, login, logout, sessionEnded]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
