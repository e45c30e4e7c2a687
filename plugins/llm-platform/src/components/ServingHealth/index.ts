export {
  ServingHealthBanner,
  healthDetail,
  healthHeadline,
  servingHealthStatus,
} from './ServingHealth';
