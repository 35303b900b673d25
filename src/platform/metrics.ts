// Platform: Prometheus metrics (prom-client), one registry per process.
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'econ_' });
  const httpDuration = new client.Histogram({
    name: 'econ_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers: [registry],
  });
  const dependencyUp = new client.Gauge({
    name: 'econ_dependency_up',
    help: '1 when a dependency answered its last health check',
    labelNames: ['dependency'] as const,
    registers: [registry],
  });
  const queueJobs = new client.Gauge({
    name: 'econ_queue_jobs',
    help: 'Jobs per queue and state at the last scrape',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, dependencyUp, queueJobs };
}

export type Metrics = ReturnType<typeof createMetrics>;
