import {UserError} from '../../core/model/errors.js';

/** Why the engine could not be used. */
export type EngineProblem =
  /** Nothing listens at the endpoint (ENOENT, ECONNREFUSED). */
  | 'no-engine'
  /** The socket exists but this user may not open it (EACCES). */
  | 'permission-denied'
  /** The engine answered, but its API is older than the tool needs. */
  | 'old-api'
  /** DOCKER_HOST, the context or its TLS files cannot be used as an address. */
  | 'bad-address'
  /** Something answered, but not in time or not as an engine. */
  | 'no-answer';

/**
 * The container engine cannot be reached or used. A problem the user fixes (start Docker, fix
 * DOCKER_HOST), so it is a {@link UserError} with a one-line message and a hint; commands exit 3
 * on it rather than UserError's 2.
 */
export class EngineUnavailable extends UserError {
  /** What went wrong, for callers that react differently (tests, the wizard's message). */
  readonly problem: EngineProblem;
  /** The endpoint tried, as the user would write it (`unix:///var/run/docker.sock`); may be empty. */
  readonly endpoint: string;
  /** The exit code commands use for it. */
  readonly exitCode = 3;

  constructor(problem: EngineProblem, endpoint: string, message: string, hint: string) {
    super(message, hint);
    this.name = 'EngineUnavailable';
    this.problem = problem;
    this.endpoint = endpoint;
  }
}
