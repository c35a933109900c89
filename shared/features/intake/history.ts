import { isQuarter, previousQuarters } from '../../domain/periods';
import type { Submission } from '../../domain/submission';
import type { Repository } from '../../ports';

/**
 * What validation compares a division's quarter with: its current submissions of the four
 * quarters before (outliers look at the recent ones across the year boundary; year-to-date
 * limits keep to the same year themselves). Ingest and the browser form use the same list.
 */
export async function divisionHistory(
  repo: Pick<Repository, 'currentSubmissions'>,
  quarterId: string,
  divisionId: string,
): Promise<Submission[]> {
  if (!isQuarter(quarterId)) return [];
  // Only this division's items and bodies: an upload costs the same however many divisions there are.
  const subs = await repo.currentSubmissions(previousQuarters(quarterId, 4), divisionId);
  return subs.filter((s) => s.divisionId === divisionId).map((s) => s.submission);
}
