import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { MetricName, Metrics } from '../ports';

export const METRICS_NAMESPACE = 'Baocao';
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * The Metrics port over Powertools: one EMF line per data point, namespace Baocao, the
 * organization id as the only dimension. Flushed at once, so a handler that throws afterwards
 * still reports what happened before, and no invocation wrapper is needed.
 */
export function powertoolsMetrics(organizationId: string, metrics = new PowertoolsMetrics({ namespace: METRICS_NAMESPACE })): Metrics {
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ organizationId });
  const emit = (name: MetricName, unit: Unit, value: number) => {
    metrics.addMetric(name, unit, value);
    metrics.publishStoredMetrics();
  };
  return {
    count: (name, n = 1) => emit(name, MetricUnit.Count, n),
    timing: (name, seconds) => emit(name, MetricUnit.Seconds, seconds),
  };
}

/** For the local runtime and tests: nothing is sent. */
export const noMetrics: Metrics = { count: () => {}, timing: () => {} };
