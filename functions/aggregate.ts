import { aggregateRun } from '../shared/app/pipeline';
import { defaultDeps } from '../shared/aws/deps';
import { RunInput } from './validate';

export function makeHandler(deps: () => Parameters<typeof aggregateRun>[0]) {
  return async (event: unknown) => aggregateRun(deps(), RunInput.parse(event));
}

export const handler = makeHandler(defaultDeps);
