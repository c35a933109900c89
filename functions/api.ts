// Placeholder: the real adapter is being written. Exports `handler` as every Lambda entry does.
export const handler = async (event: unknown): Promise<unknown> => {
  throw new Error('not implemented: api ' + JSON.stringify(event).slice(0, 100));
};
