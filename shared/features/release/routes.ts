import { sha256 } from '../../crypto';
import { type Route, redirect } from '../../http/router';
import { linkProblemPage } from '../approval/pages';
import type { ReleaseDeps } from './ports';

/** A recipient's download link: each click mints a short presigned GET of the released document. */
export const releaseRoutes: Route<ReleaseDeps>[] = [
  {
    method: 'GET',
    path: '/download/:secret',
    surface: 'public',
    async handle(deps, req) {
      const target = await deps.repo.getDownload(sha256(req.params.secret));
      if (!target) return linkProblemPage('unknown', 404);
      if (new Date(target.expiresAt) <= deps.now()) return linkProblemPage('expired');
      return redirect(await deps.blobs.presignGet(target.key, 300, target.fileName));
    },
  },
];
