// The delivery log screen as its own module, for lazy loading.
export { WebhookDeliveriesPage as default } from './WebhooksPage';
