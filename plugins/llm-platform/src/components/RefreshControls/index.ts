export { RefreshControls } from './RefreshControls';
