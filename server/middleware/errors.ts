// Second link: whatever the rest of the chain throws, and what the router leaves unanswered (404,
// 405), becomes the contract's JSON error body. An
// HttpProblem is the client's mistake and says so; anything else is ours: 500 with a message that
// names the request id, the error kept on ctx.state for the log line, never a stack in the response.
import type { AppMiddleware } from '../context.ts';
import { HttpProblem, internalError } from '../problem.ts';
import { unanswered } from '../router.ts';

export function errors(): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
      const problem = unanswered(ctx);
      if (problem) throw problem;
    } catch (error) {
      const problem = error instanceof HttpProblem ? error : internalError(ctx.state.requestId);
      if (!(error instanceof HttpProblem)) ctx.state.fault = error;
      ctx.status = problem.status;
      if (problem.headers) ctx.set(problem.headers);
      ctx.body = problem.toBody();
      ctx.state.errorCode = problem.code;
    }
  };
}
