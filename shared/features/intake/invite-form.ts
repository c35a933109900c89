import { periodNameInText } from '../../format/period-name';
import { vnDateTime } from '../../format/vietnam-time';
import { formModel } from './form-model';
import { lockedMessage } from './guard';
import { divisionHistory } from './history';
import { type IntakeDeps, inspectInvite, inviteProblem, prefillFor } from './service';
import type { FormConfig } from './web/ids';
import { buildSubmissionXlsx } from './xlsx';

/** A live invite or the refusal to show (404 unknown, 410 expired or revoked). */
async function requireInvite(deps: IntakeDeps, secret: string) {
  const check = await inspectInvite(deps, secret);
  if (!check.ok) throw inviteProblem(check.problem);
  return check;
}

/**
 * What the invite page shows: the division's form generated from the template, and the
 * configuration its browser script validates with (the template without its document
 * sections, the divisions without contacts, the division's history and prefill).
 */
export async function inviteFormView(deps: IntakeDeps, secret: string) {
  const { invite, division, lock } = await requireInvite(deps, secret);
  const model = formModel(deps.template, division.id);
  const { sections: _s, preamble: _p, closing: _c, ...validationTemplate } = deps.template;
  const config: FormConfig = {
    secret,
    periodId: invite.periodId,
    divisionId: division.id,
    template: { ...validationTemplate, sections: [], preamble: [], closing: '' },
    organization: { divisions: deps.organization.divisions.map((x) => ({ id: x.id, name: x.name, contacts: [] })) },
    model,
    history: [],
    draftKey: `baocao:nop:${invite.periodId}:${division.id}`,
  };
  const view = {
    divisionName: division.name,
    periodLabel: periodNameInText(invite.periodId),
    deadline: vnDateTime(lock.deadlineEnd),
    expiresAt: vnDateTime(invite.expiresAt),
    model,
  };
  if (lock.locked) return { ...view, config, locked: lockedMessage(invite.periodId, lock) };
  const [prefill, history] = await Promise.all([
    prefillFor(deps, invite.periodId, division.id),
    divisionHistory(deps.repo, invite.periodId, division.id),
  ]);
  const { indicators, tables, narratives } = prefill.submission ?? {};
  return {
    ...view,
    prefillFrom: prefill.from,
    config: { ...config, history, ...(prefill.submission ? { prefill: { indicators, tables, narratives } } : {}) },
  } as typeof view & { prefillFrom?: string; config: FormConfig; locked?: string };
}

/** The division's spreadsheet template for the invite's quarter, prefilled like the form. */
export async function inviteWorkbook(deps: IntakeDeps, secret: string) {
  const { invite, division } = await requireInvite(deps, secret);
  const prefill = await prefillFor(deps, invite.periodId, division.id);
  const data = await buildSubmissionXlsx({
    template: deps.template,
    organization: deps.organization,
    divisionId: division.id,
    periodId: invite.periodId,
    prefill: prefill.submission,
  });
  return { data, fileName: `mau-so-lieu-${division.id}-${invite.periodId}.xlsx` };
}
