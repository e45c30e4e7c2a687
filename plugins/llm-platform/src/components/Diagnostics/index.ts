export { Diagnostics } from './Diagnostics';
