/**
 * DefaultPreemption (default_preemption_test.go, the simplest cases): a higher-priority pod
 * that fits nowhere evicts the lower-priority pod in its way, keeps (reprieves) the ones it
 * does not need removed, and never preempts pods of its own priority; and a run emits
 * Preempted then schedules the preemptor on the nominated node.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createStream } from '../../engine/core/rng.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG } from '../../engine/scheduler/config.js';
import { Framework } from '../../engine/scheduler/framework.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';
import { makeNode, makePod, snapshotOf } from './helpers.js';

function framework(): Framework {
  return new Framework(buildProfiles(DEFAULT_SCHEDULER_CONFIG)[0]!, createStream(1, 'scheduler'), undefined);
}

test('preemption: the lower-priority pod in the way is the victim; a small one that can stay is reprieved', () => {
  const nodes = [makeNode('n1', { cpu: '1', memory: '1Gi' })];
  const big = makePod([{ cpu: '700m' }], { name: 'big', nodeName: 'n1', priority: 1 });
  const small = makePod([{ cpu: '100m' }], { name: 'small', nodeName: 'n1', priority: 2 });
  const snap = snapshotOf(nodes, [big, small]);
  const fw = framework();
  const preemptor = new PodInfo(makePod([{ cpu: '800m' }], { name: 'p', priority: 100 }));
  const r = fw.schedulePod(snap, preemptor);
  assert.equal(r.node, undefined);
  assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu.');
  const post = fw.runPostFilter(r, preemptor)!;
  assert.equal(post.status.code, 'Success');
  assert.equal(post.nominatedNodeName, 'n1');
  assert.deepEqual(post.victims?.map((v) => v.name), ['big']);
  assert.deepEqual(snap.node('n1')!.pods.map((p) => p.name).sort(), ['big', 'small'], 'the what-ifs leave the node as it was');
  assert.equal(snap.node('n1')!.reqCpu, 800);
});

test('preemption: pods of equal or higher priority are never victims', () => {
  const snap = snapshotOf([makeNode('n1', { cpu: '1', memory: '1Gi' })], [makePod([{ cpu: '900m' }], { name: 'same', nodeName: 'n1', priority: 5 })]);
  const fw = framework();
  const preemptor = new PodInfo(makePod([{ cpu: '500m' }], { name: 'p', priority: 5 }));
  const post = fw.runPostFilter(fw.schedulePod(snap, preemptor), preemptor)!;
  assert.equal(post.nominatedNodeName, undefined);
  assert.equal(post.status.message, 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  const never = new PodInfo(makePod([{ cpu: '500m' }], { name: 'q', priority: 9, preemptionPolicy: 'Never' } as never));
  assert.equal(fw.runPostFilter(fw.schedulePod(snap, never), never)!.status.message, 'preemption: not eligible due to preemptionPolicy=Never.');
});

test('a run: the high-priority pod preempts, its nomination keeps the replacement low pod off the node, then it is scheduled there', () => {
  const obs = new MemoryObserver();
  runScenario(loadScenarioFile(repoPath('test/fixtures/schedule/preemption-run.yaml')).scenario, obs);
  const lines = obs.events.filter((e) => ['Scheduled', 'FailedScheduling', 'Preempted'].includes(e.reason)).map((e) => `${e.reason} ${e.name.split('-')[0]}`);
  assert.deepEqual(lines, ['Scheduled low', 'FailedScheduling high', 'Preempted low', 'FailedScheduling low', 'Scheduled high']);
  assert.equal(obs.summaryValues.get('scheduling_preemptions'), 1);
});
