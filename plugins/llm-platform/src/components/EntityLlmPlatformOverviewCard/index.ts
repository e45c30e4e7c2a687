export { EntityLlmPlatformOverviewCard } from './EntityLlmPlatformOverviewCard';
