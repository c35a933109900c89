import * as z from 'zod';

/** The input of every pipeline task (the state machine passes it on); a module of its own so a handler importing it carries nothing else. */
export const RunInput = z.object({ reportId: z.string().min(1), periodId: z.string().min(1), requestedBy: z.string().optional() });
