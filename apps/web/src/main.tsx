import 'dkfds-dist/css/dkfds.min.css';
import './styles.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { isApiError, isUnavailable } from './api/errors';
import { initI18n } from './i18n';

initI18n();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change by asking again; only network and server trouble is retried.
      retry: (count, error) => count < 2 && !(isApiError(error) && error.status < 500),
      // A 503 says when to ask again (Retry-After); anything else backs off as React Query does by default.
      retryDelay: (count, error) =>
        isUnavailable(error) ? (error.retryAfterSeconds ?? 5) * 1000 : Math.min(1000 * 2 ** count, 30_000),
      staleTime: 10_000,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename="/app">
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
