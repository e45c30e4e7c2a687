export { WorkloadSelection } from './WorkloadSelection';
