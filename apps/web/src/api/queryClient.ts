/**
 * The one TanStack Query client of the web app (server state: caching, refetch, mutation state).
 * Defaults: a page opened again shows its cached answer at once and refreshes it in the background
 * (staleTime 0: the registry is edited by many users and by imports, so an answer is never taken as
 * current without asking; components mounted together share one request), failed queries are retried once only for network / 5xx errors (a 4xx answer is
 * final), and no refetch when the window regains focus (the registry is edited in long forms;
 * a refetch under the user's eyes would be surprising).
 */
import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './client';

export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  if (error instanceof Error && error.name === 'AbortError') return false;
  return failureCount < 1;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 0,
        gcTime: 5 * 60_000,
        retry: shouldRetry,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

/** The app's instance (module scope, so logout can clear it). */
export const queryClient = createQueryClient();
