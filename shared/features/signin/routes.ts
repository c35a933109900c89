import { type Route, redirect } from '../../http/router';
import { signinConfirmPage, signinPage, signinProblemPage } from './pages';
import type { SigninDeps } from './signin';
import {
  completeSignin,
  endSession,
  inspectSigninLink,
  readCookie,
  requestSignin,
  SESSION_COOKIE,
  SIGNIN_RATE,
  sessionCookie,
} from './signin';

const SIGNIN_LIMITED = `Đã có quá nhiều yêu cầu đăng nhập; vui lòng thử lại sau ${SIGNIN_RATE.windowMinutes} phút.`;

/** The compiler's email sign-in: request a link, confirm it with a POST, get a session cookie. */
export const signinRoutes: Route<SigninDeps>[] = [
  { method: 'GET', path: '/signin', surface: 'public', handle: () => signinPage() },
  {
    method: 'POST',
    path: '/signin',
    surface: 'public',
    sameOriginOnly: true,
    async handle(deps, req) {
      const outcome = await requestSignin(deps, req.form().get('email') ?? '', req.sourceIp);
      if (outcome === 'limited') return signinPage(SIGNIN_LIMITED, 429);
      // The same answer whether or not the address may sign in.
      return signinPage('Nếu địa chỉ được phép đăng nhập, thư có liên kết đăng nhập đã được gửi tới địa chỉ đó.');
    },
  },
  {
    method: 'GET',
    path: '/signin/:secret',
    surface: 'public',
    async handle(deps, req) {
      const problem = await inspectSigninLink(deps, req.params.secret);
      return problem ? signinProblemPage(problem) : signinConfirmPage(req.params.secret);
    },
  },
  {
    method: 'POST',
    path: '/signin/:secret',
    surface: 'public',
    sameOriginOnly: true,
    async handle(deps, req) {
      const res = await completeSignin(deps, req.params.secret);
      if (!res.ok) return signinProblemPage(res.problem);
      return { ...redirect('/'), cookies: [sessionCookie(res.cookie, res.maxAgeSeconds)] };
    },
  },
  {
    method: 'POST',
    path: '/signout',
    surface: 'public',
    sameOriginOnly: true,
    async handle(deps, req) {
      await endSession(deps, readCookie(req.cookies, req.headers.cookie));
      return { ...redirect('/'), cookies: [`${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`] };
    },
  },
];
