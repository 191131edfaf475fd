import { useEffect, useRef } from "react";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { getToken, setToken } from "./api/auth";
import { AnalyticsPage } from "./features/analytics/components/AnalyticsPage";
import { BatchesPage } from "./features/batches/components/BatchesPage";
import { BenchmarkPage } from "./features/benchmark/components/BenchmarkPage";
import { TokenDialog } from "./features/auth/components/TokenDialog";
import { JobDetailPage } from "./features/job-detail/components/JobDetailPage";
import { JobsPage } from "./features/jobs/components/JobsPage";
import { OverviewPage } from "./features/overview/components/OverviewPage";
import { TaxonomyPage } from "./features/taxonomy/components/TaxonomyPage";
import { Link, matchRoute, splitPath, useHashPath } from "./lib/router";

const NAV = [
  ["/", "Overview"],
  ["/jobs", "Jobs"],
  ["/batches", "Batches"],
  ["/analytics", "Analytics"],
  ["/taxonomy", "Taxonomy"],
  ["/benchmark", "Benchmark"],
] as const;

function Page({ path }: { path: string }) {
  const detail = matchRoute("/jobs/:id", path);
  if (detail?.id) return <JobDetailPage key={detail.id} jobId={detail.id} />;
  switch (path) {
    case "/":
    case "":
      return <OverviewPage />;
    case "/jobs":
      return <JobsPage />;
    case "/batches":
      return <BatchesPage />;
    case "/analytics":
      return <AnalyticsPage />;
    case "/taxonomy":
      return <TaxonomyPage />;
    case "/benchmark":
      return <BenchmarkPage />;
    default:
      return (
        <div className="page">
          <h1>Not found</h1>
          <p>
            Nothing at <code>{path}</code>. <Link to="/">Back to the overview</Link>.
          </p>
        </div>
      );
  }
}

function isActive(navPath: string, path: string): boolean {
  return navPath === "/" ? path === "/" : path === navPath || path.startsWith(`${navPath}/`);
}

export function App() {
  const { path } = splitPath(useHashPath());
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    const label = NAV.find(([p]) => isActive(p, path))?.[1] ?? "Job";
    document.title = `${label} · adclf`;
    // After an in-app navigation, keyboard and screen-reader users continue at the new content,
    // not at the link they pressed in the top bar.
    if (firstRender.current) firstRender.current = false;
    else mainRef.current?.focus({ preventScroll: true });
  }, [path]);

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById("main")?.focus();
      }}>
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="logo">
          adclf
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link to={to} aria-current={isActive(to, path) ? "page" : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {getToken() && (
          <button type="button" className="btn btn-small btn-ghost signout" onClick={() => {
            setToken(null);
            window.location.reload();
          }}>
            Forget token
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1} ref={mainRef}>
        <ErrorBoundary resetKey={path}>
          <Page path={path} />
        </ErrorBoundary>
      </main>
      <TokenDialog />
    </>
  );
}
