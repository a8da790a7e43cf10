/** Commands that belong to no single feature: refresh every view, show the log. */
import type { Services } from '../services';

export function registerGeneralCommands(services: Services): void {
  services.registerCommand('secml.refresh', () => {
    services.datasetsChanged.fire();
    services.runsChanged.fire();
    services.modelsChanged.fire();
    services.awsChanged.fire();
  });
  services.registerCommand('secml.showLog', () => services.output.show(true));
}
