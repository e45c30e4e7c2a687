export { ClusterErrors } from './ClusterErrors';
