export { PodTable } from './PodTable';
