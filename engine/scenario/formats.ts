/**
 * String formats shared by the scenario and manifest schemas, with the apiserver's rules
 * (k8s.io/apimachinery/pkg/util/validation/validation.go).
 */
import { CIDR_PATTERN, IPV4_PATTERN } from '../network/ipv4.js';
import { map, str } from './schema.js';

/** IsDNS1123Label: the rule for namespace names and a scenario's own name. */
export const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
/** IsDNS1123Subdomain: the rule for most object names (Deployments, Pods, ConfigMaps, nodes). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
/** IsValidLabelValue: empty, or alphanumerics with -_. inside, at most 63 characters. */
const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const dnsLabel = () =>
  str({ pattern: DNS1123_LABEL, maxLength: 63, patternName: 'a DNS-1123 label (lowercase letters, digits and -)' });

export const dnsSubdomain = () =>
  str({ pattern: DNS1123_SUBDOMAIN, maxLength: 253, patternName: 'a DNS-1123 subdomain (lowercase letters, digits, - and .)' });

export const labelValue = () => str({ pattern: LABEL_VALUE, maxLength: 63, patternName: 'a label value (a string of letters, digits, -_. )' });

export const labels = () => map(labelValue());

export const ipv4 = () => str({ pattern: IPV4_PATTERN, patternName: 'an IPv4 address such as 192.168.1.10' });

export const cidr = () => str({ pattern: CIDR_PATTERN, patternName: 'an IPv4 CIDR block such as 10.244.0.0/16' });
