// Routes under /app (the API keeps every other path): /opgaver is the queue, /opgaver/:id a task, /forloeb the
// coordinators' pathways, /forloeb/ny starts one and /forloeb/:id is one pathway.
import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from './auth/auth';
import { Header } from './components/dkfds';
import { UnavailableNotice } from './components/UnavailableNotice';
import { NotFoundPage } from './pages/ErrorPages';
import { PathwayPage } from './pages/PathwayPage';
import { PathwaysPage } from './pages/PathwaysPage';
import { QueuePage } from './pages/QueuePage';
import { StartPathwayPage } from './pages/StartPathwayPage';
import { TaskPage } from './pages/TaskPage';
import { oversightRoutes } from './oversight/routes';

export function App() {
  return (
    <>
      <Header />
      <main id="main-content" className="container page-container">
        <UnavailableNotice />
        <RequireSession>
          <Routes>
            <Route path="/" element={<Navigate to="/opgaver" replace />} />
            <Route path="/opgaver" element={<QueuePage />} />
            <Route path="/opgaver/:id" element={<TaskPage />} />
            <Route path="/forloeb" element={<PathwaysPage />} />
            <Route path="/forloeb/ny" element={<StartPathwayPage />} />
            <Route path="/forloeb/:id" element={<PathwayPage />} />
            {oversightRoutes()}
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </RequireSession>
      </main>
    </>
  );
}
