// Test utilities: a Kubernetes API simulator and the scenarios it serves.
export * from './simulator/KubernetesSimulator';
export * from './scenario';
export * from './builders';
export * from './backend';
