import {describe, expect, it} from 'vitest';
import {analyzeFiles} from '../../source/core/audit.js';

const deployment = (container: string) => ['---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:', '      containers:', `        - name: ${container}`, '          image: nginx:1.25'];

describe('analyzeFiles: target ids', () => {
  it('numbers targets of the same name in order, past an id a real name already took', () => {
    const text = [...deployment('app'), ...deployment('app~2'), ...deployment('app'), ...deployment('app'), ...deployment('app~2'), ''].join('\n');
    const {report} = analyzeFiles([{file: 'k8s.yaml', type: 'yaml', text}], {version: 'test'});
    expect(report.targets.map(t => t.id.replace('k8s-container:k8s.yaml#Deployment/web/', ''))).toEqual(['app', 'app~2', 'app~3', 'app~4', 'app~2~2']);
  });
});
