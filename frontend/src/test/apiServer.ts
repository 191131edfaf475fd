import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setApiBaseUrl } from "../api/client";

// A real HTTP server on 127.0.0.1 that answers like the adclf API for the routes a test
// declares. Components talk to it through the real client code (openapi-fetch, XHR).

export type Recorded = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
};

export type Reply = { status?: number; json?: unknown; headers?: Record<string, string>; body?: string };
type Handler = (req: Recorded) => Reply | Promise<Reply>;

export class ApiServer {
  readonly requests: Recorded[] = [];
  private routes = new Map<string, Handler>();
  private server?: Server;
  url = "";

  /** Route key "GET /jobs/{id}" style: exact path, or a prefix ending in "*". */
  on(key: string, handler: Handler | Reply): this {
    this.routes.set(key, typeof handler === "function" ? handler : () => handler);
    return this;
  }

  reset(): void {
    this.routes.clear();
    this.requests.length = 0;
  }

  find(method: string, path: string): Recorded[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    setApiBaseUrl(this.url);
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private route(method: string, path: string): Handler | undefined {
    const exact = this.routes.get(`${method} ${path}`);
    if (exact) return exact;
    for (const [key, h] of this.routes) {
      const [m, p] = key.split(" ", 2) as [string, string];
      if (m === method && p.endsWith("*") && path.startsWith(p.slice(0, -1))) return h;
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // jsdom's XMLHttpRequest enforces CORS, exactly like a browser against another origin.
    const cors = {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Headers": "Authorization, Content-Type",
      "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
      "Access-Control-Expose-Headers": "X-Total-Count, X-Limit, X-Offset, X-Unavailable-Nodes",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", this.url);
    const rec: Recorded = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("latin1"),
    };
    this.requests.push(rec);
    const handler = this.route(rec.method, rec.path);
    const reply: Reply = handler ? await handler(rec) : { status: 404, json: { detail: `no route ${rec.path}` } };
    const body = reply.body ?? JSON.stringify(reply.json ?? null);
    res.writeHead(reply.status ?? 200, { "Content-Type": "application/json", ...cors, ...reply.headers });
    res.end(body);
  }
}

/** A job listing as the API answers it: the original's bare array, the page in headers. */
export function page(p: { jobs: unknown[]; total: number; limit: number; offset: number; unavailable_nodes?: unknown[] }): Reply {
  return {
    json: p.jobs,
    headers: {
      "X-Total-Count": String(p.total),
      "X-Limit": String(p.limit),
      "X-Offset": String(p.offset),
      "X-Unavailable-Nodes": JSON.stringify(p.unavailable_nodes ?? []),
    },
  };
}

/** /cluster/nodes as the API answers it: the original's map, our views under node_views. */
export function fleet(views: Array<Record<string, unknown>>): Reply {
  const by = (f: (v: Record<string, unknown>) => unknown) => Object.fromEntries(views.map((v) => [String(v.node), f(v)]));
  return {
    json: {
      nodes: by((v) => String(v.address ?? v.node)),
      status: by((v) => Boolean(v.available)),
      maintenance: by((v) => Boolean(v.maintenance)),
      accepting_new_jobs: by((v) => Boolean(v.available) && !v.maintenance),
      self: typeof views[0]?.node === "string" ? views[0].node : "",
      node_views: views,
    },
  };
}

export function job(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: "node-a-6f1c2d8e-4b1a-4c53-9d7e-0a1b2c3d4e5f",
    node: "node-a",
    status: "completed",
    stage: "completed",
    stage_detail: null,
    progress: 100,
    mode: "pipeline",
    url: "/srv/ads/spot.mp4",
    original_name: "spot.mp4",
    settings: {},
    error: null,
    created_at: "2026-11-24T20:00:00Z",
    updated_at: "2026-11-24T20:00:09Z",
    duration_seconds: 9.2,
    brand: "ACME",
    category: "Running shoes",
    category_id: "1234",
    category_name: "Athletic Shoes",
    parent_category: "Footwear",
    parent_category_id: "1200",
    industry_id: "1000",
    industry_name: "Apparel",
    confidence: 0.91,
    ...over,
  };
}
