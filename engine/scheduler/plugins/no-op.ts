/**
 * Default plugins with nothing to do in kubesim's cluster model, kept so that configurations
 * naming them are valid and the default plugin set reads as upstream's:
 *  - PrioritySort (QueueSort) and DefaultBinder (Bind): the queue and the binder implement them;
 *  - VolumeRestrictions, NodeVolumeLimits, VolumeZone: kubesim models no volumes, so their
 *    PreFilter skips every pod (as upstream does for pods without volumes of the kinds they check);
 *  - SchedulingGates: the queue holds gated pods back (spec.schedulingGates).
 * The skipping filters never reject a pod, so the cluster events they register upstream could
 * only widen which events the queue finds of interest; the other plugins already register
 * those (Pod/Delete, PersistentVolumeClaim/Add, Node/Add and label or taint updates) or kubesim
 * has no such objects (CSINode), so they register none here.
 * Upstream: pkg/scheduler/framework/plugins/{queuesort,defaultbinder,volumerestrictions,
 * nodevolumelimits,volumezone,schedulinggates}
 */
import { SKIP, type Plugin } from '../types.js';

export const marker = (name: string) => (): Plugin => ({ name });

export const skippingFilter = (name: string) => (): Plugin => ({
  name,
  preFilter: () => SKIP,
  filter: () => null,
  eventsToRegister: () => [],
});
