import { Provider } from '@nestjs/common';

import { KeyHealthPublisher } from './key-health.publisher';
import { KeyHealthService } from './key-health.service';
import { KeyHealthStore } from './key-health.store';
import { KeyProbeQueue } from './key-probe.queue';
import { KeyProbeWorker } from './key-probe.worker';
import { KeyProber } from './key-prober';

/** Everything key health needs in the gateway's container (shared Redis state and probes). */
export const KEY_HEALTH_PROVIDERS: Provider[] = [
  KeyHealthStore,
  KeyHealthPublisher,
  KeyProbeQueue,
  KeyHealthService,
  KeyProber,
  KeyProbeWorker,
];
