import * as assert from 'node:assert/strict';
import { ipInsightsImageUri } from '../../../src/core/backends/sagemaker/images';
import { ipInsightsCsvLine, ipInsightsHyperparameters, parseDotProducts } from '../../../src/core/backends/sagemaker/ipinsights-request';

describe('sagemaker: IP Insights requests and answers', () => {
  it("the region's built-in ipinsights image", () => {
    assert.equal(ipInsightsImageUri('us-east-1'), '382416733822.dkr.ecr.us-east-1.amazonaws.com/ipinsights:1');
    assert.equal(ipInsightsImageUri('eu-west-1'), '438346466558.dkr.ecr.eu-west-1.amazonaws.com/ipinsights:1');
    assert.equal(ipInsightsImageUri('cn-north-1'), '390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/ipinsights:1');
    assert.throws(() => ipInsightsImageUri('xx-nowhere-1'), /not known for region "xx-nowhere-1"/);
    assert.throws(() => ipInsightsImageUri(undefined), /No AWS region/);
  });

  it("hyperparameters: the seed's, num_entity_vectors from the data, ranges checked by name", () => {
    assert.deepEqual(ipInsightsHyperparameters({}, 9), { random_negative_sampling_rate: '5', vector_dim: '128', mini_batch_size: '1000', epochs: '5', learning_rate: '0.01', num_entity_vectors: '18' });
    assert.equal(ipInsightsHyperparameters({ epochs: 10, num_entity_vectors: '20000' }, 9).num_entity_vectors, '20000');
    assert.throws(() => ipInsightsHyperparameters({ vector_dim: 2 }, 9), /vector_dim must be a whole number 4 to 4,096, got "2"/);
    assert.throws(() => ipInsightsHyperparameters({ epochs: 1.5 }, 9), /epochs must be a whole number >= 1/);
    assert.throws(() => ipInsightsHyperparameters({ mini_batch_size: 600000 }, 9), /mini_batch_size/);
    assert.throws(() => ipInsightsHyperparameters({ learning_rate: 0 }, 9), /learning_rate must be a number 0.000001 to 10/);
    assert.throws(() => ipInsightsHyperparameters({ num_round: 5 }, 9), /"num_round" is not an IP Insights hyperparameter/);
  });

  it('CSV lines quote entities that need it; answers parse as JSON or JSON lines', () => {
    assert.equal(ipInsightsCsvLine('arn:aws:iam::1:user/a', '1.2.3.4'), 'arn:aws:iam::1:user/a,1.2.3.4\n');
    assert.equal(ipInsightsCsvLine('a,"b"', '1.2.3.4'), '"a,""b""",1.2.3.4\n');
    assert.deepEqual(Array.from(parseDotProducts('{"predictions":[{"dot_product":1.5},{"dot_product":-0.25}]}', 2, 'x')), [1.5, -0.25]);
    assert.deepEqual(Array.from(parseDotProducts('{"dot_product": 0.5}\n{"dot_product": 2}\n', 2, 'x')), [0.5, 2]);
    assert.throws(() => parseDotProducts('{"predictions":[{"dot_product":1}]}', 2, 'batch 1'), /batch 1: expected 2 predictions, got 1/);
    assert.throws(() => parseDotProducts('{"predictions":[{"score":1}]}', 1, 'b'), /no numeric dot_product/);
    assert.throws(() => parseDotProducts('<html>', 1, 'b'), /not IP Insights predictions/);
  });
});
