import { WorkloadSelection } from '../WorkloadSelection';

/** The compact LLM Platform card for an entity's overview page. */
export const EntityLlmPlatformOverviewCard = () => <WorkloadSelection />;
