/**
 * The imagePullPolicy a pod gets when its manifest leaves it out, as the API server defaults it
 * (pkg/apis/core/v1/defaults.go SetDefaults_Container): `Always` for the `:latest` tag or no
 * tag at all, `IfNotPresent` otherwise. An image pinned by digest is never re-pulled.
 */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export function defaultPullPolicy(image: string): ImagePullPolicy {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon === -1) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}
