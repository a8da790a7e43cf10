/** `secml cloudtrail`: further CloudTrail analytics (unusual principal/IP pairs, activity over time, a day's alerts, IP Insights). */
import type { CommandSpec } from '../command';
import { cloudtrailActivityCommand } from './cloudtrail-activity';
import { cloudtrailDayCommand } from './cloudtrail-day';
import { cloudtrailIpInsightsCommand } from './cloudtrail-ipinsights';
import { cloudtrailPairsCommand } from './cloudtrail-pairs';

export const cloudtrailCommand: CommandSpec = {
  name: 'cloudtrail',
  summary: 'CloudTrail analytics: unusual principal/IP pairs, activity over time, a day\'s alerts, IP Insights',
  subcommands: [cloudtrailPairsCommand, cloudtrailActivityCommand, cloudtrailDayCommand, cloudtrailIpInsightsCommand],
};
