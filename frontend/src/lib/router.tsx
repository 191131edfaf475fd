import { useEffect, useState, type AnchorHTMLAttributes, type ReactNode } from "react";

// A hash router: the API owns real paths like /jobs/..., so the UI lives after "#".
export function currentPath(): string {
  const raw = window.location.hash.replace(/^#/, "");
  return raw.startsWith("/") ? raw : `/${raw}`;
}

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return path;
}

export function navigate(path: string): void {
  window.location.hash = path;
}

/** Split "/jobs/abc?x=1" into the path and its query. */
export function splitPath(full: string): { path: string; query: URLSearchParams } {
  const [path = "/", query = ""] = full.split("?", 2);
  return { path, query: new URLSearchParams(query) };
}

export type Match = Record<string, string>;

/** Match "/jobs/:id" against a path; returns the decoded params or null. */
export function matchRoute(pattern: string, path: string): Match | null {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Match = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    const seg = s[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children: ReactNode };

export function Link({ to, children, ...rest }: LinkProps) {
  return (
    <a href={`#${to}`} {...rest}>
      {children}
    </a>
  );
}
