/**
 * The SageMaker built-in XGBoost image (version 1.7-1, used for training and inference) by region.
 * Registry account IDs as documented by AWS (sagemaker-python-sdk image_uri_config/xgboost.json, "1.7-1").
 * An override (a private ECR mirror, another version, a region missing here) replaces the table, after checkImageUri.
 */
import { SecmlError } from '../../errors';
import { checkImageUri, IPINSIGHTS_IMAGE_SETTING, XGBOOST_IMAGE_SETTING } from './image-uri';

export const XGBOOST_VERSION = '1.7-1';

const XGBOOST_REGISTRIES: Record<string, string> = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'ca-west-1': '190319476487',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
  // China and GovCloud partitions.
  'cn-north-1': '450853457545',
  'cn-northwest-1': '451049120500',
  'us-gov-east-1': '237065988967',
  'us-gov-west-1': '414596584902',
};

export function xgboostRegions(): string[] {
  return Object.keys(XGBOOST_REGISTRIES);
}

function noRegion(): SecmlError {
  return new SecmlError('BAD_ARGUMENT', 'No AWS region is set: choose one with "SecML: Configure AWS" (secml.aws.region) or set AWS_REGION.');
}

function ecrDomain(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * `683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1` for us-east-1; the override instead when one
 * is set (checked: an ECR image in that region).
 */
export function xgboostImageUri(region: string | undefined, override?: string): string {
  if (!region) throw noRegion();
  if (override?.trim()) return checkImageUri(override, XGBOOST_IMAGE_SETTING, region);
  const account = XGBOOST_REGISTRIES[region];
  if (!account) {
    throw new SecmlError(
      'BAD_ARGUMENT',
      `SageMaker's built-in XGBoost ${XGBOOST_VERSION} image is not known for region "${region}" (known: ${xgboostRegions().join(', ')}). ` +
        `Set the URI of an XGBoost image in ECR in ${region} (AWS's, from SageMaker's "Docker Registry Paths" page, or your own copy) in secml.sagemaker.xgboostImageUri (CLI: --xgboost-image or SECML_XGBOOST_IMAGE_URI; spec: "sagemaker": {"imageUri": ...}), ` +
        `e.g. <account>.dkr.ecr.${region}.${ecrDomain(region)}/sagemaker-xgboost:${XGBOOST_VERSION}.`,
    );
  }
  return `${account}.dkr.ecr.${region}.${ecrDomain(region)}/sagemaker-xgboost:${XGBOOST_VERSION}`;
}

/**
 * SageMaker's built-in IP Insights image (`ipinsights:1`, training and inference) by region: registry accounts as
 * published in sagemaker-python-sdk image_uri_config/ipinsights.json (version "1"). The built-in algorithms' shared
 * registries, unlike XGBoost's.
 */
const IPINSIGHTS_REGISTRIES: Record<string, string> = {
  'af-south-1': '455444449433',
  'ap-east-1': '286214385809',
  'ap-northeast-1': '351501993468',
  'ap-northeast-2': '835164637446',
  'ap-northeast-3': '364406365360',
  'ap-south-1': '991648021394',
  'ap-southeast-1': '475088953585',
  'ap-southeast-2': '712309505854',
  'ca-central-1': '469771592824',
  'eu-central-1': '664544806723',
  'eu-north-1': '669576153137',
  'eu-south-1': '257386234256',
  'eu-west-1': '438346466558',
  'eu-west-2': '644912444149',
  'eu-west-3': '749696950732',
  'me-south-1': '249704162688',
  'sa-east-1': '855470959533',
  'us-east-1': '382416733822',
  'us-east-2': '404615174143',
  'us-west-1': '632365934929',
  'us-west-2': '174872318107',
  'cn-north-1': '390948362332',
  'cn-northwest-1': '387376663083',
  'us-gov-west-1': '226302683700',
};

export function ipInsightsRegions(): string[] {
  return Object.keys(IPINSIGHTS_REGISTRIES);
}

/** `382416733822.dkr.ecr.us-east-1.amazonaws.com/ipinsights:1` for us-east-1; the checked override when one is set. */
export function ipInsightsImageUri(region: string | undefined, override?: string): string {
  if (!region) throw noRegion();
  if (override?.trim()) return checkImageUri(override, IPINSIGHTS_IMAGE_SETTING, region);
  const account = IPINSIGHTS_REGISTRIES[region];
  if (!account) {
    throw new SecmlError(
      'BAD_ARGUMENT',
      `SageMaker's built-in IP Insights image is not known for region "${region}" (known: ${ipInsightsRegions().join(', ')}). ` +
        `Set the URI of an IP Insights image in ECR in ${region} (AWS's, from SageMaker's "Docker Registry Paths" page, or your own copy) in secml.sagemaker.ipInsightsImageUri (CLI: --ip-insights-image or SECML_IPINSIGHTS_IMAGE_URI), e.g. <account>.dkr.ecr.${region}.${ecrDomain(region)}/ipinsights:1.`,
    );
  }
  return `${account}.dkr.ecr.${region}.${ecrDomain(region)}/ipinsights:1`;
}
