/**
 * ImageLocality: favours nodes that already hold the pod's images, by size, scaled by how
 * widely each image is spread (to avoid piling pods on the one node that has it).
 *   sum = Σ over containers with the image on the node of int(size * nodesWithImage / allNodes)
 *   score = 100 * (clamp(sum, 23 MiB, 1000 MiB * containers) - 23 MiB) / (max - 23 MiB)  (integers)
 * Image names without a tag get ":latest" (normalizedImageName).
 * Upstream: pkg/scheduler/framework/plugins/imagelocality/image_locality.go
 */
import type { NodeInfo } from '../node-info.js';
import type { Snapshot } from '../snapshot.js';
import { MAX_NODE_SCORE, type Plugin } from '../types.js';

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const sum = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (sum - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

function sumImageScores(node: NodeInfo, names: readonly string[], snapshot: Snapshot): number {
  let sum = 0;
  const total = snapshot.nodeCount;
  for (const name of names) {
    const size = node.imageSizes.get(name);
    if (size === undefined) continue;
    sum += Math.trunc(size * (snapshot.imageNumNodes(name) / total));
  }
  return sum;
}

export function imageLocality(): Plugin {
  return {
    name: 'ImageLocality',
    score(state, pod, node) {
      if (node.imageSizes.size === 0) return 0;
      return calculatePriority(sumImageScores(node, pod.images.map(normalizedImageName), state.snapshot), pod.images.length);
    },
    scoreNodes(state, pod, nodes, scores) {
      let names: string[] | undefined;
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i]!;
        if (node.imageCount === 0) scores[i] = 0;
        else scores[i] = calculatePriority(sumImageScores(node, (names ??= pod.images.map(normalizedImageName)), state.snapshot), pod.images.length);
      }
    },
  };
}
