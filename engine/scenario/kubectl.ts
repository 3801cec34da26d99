/**
 * Timeline actions are written as the kubectl command a person would type. This file turns the
 * command line into a typed command at load time, so an unsupported verb or flag is a validation
 * error, never a run-time surprise.
 */
export type KubectlCommand =
  | { verb: 'scale'; resource: 'deployment' | 'replicaset'; name: string; namespace: string; replicas: number }
  | { verb: 'delete'; resource: 'pod'; namespace: string; name?: string; selector?: Record<string, string> };
