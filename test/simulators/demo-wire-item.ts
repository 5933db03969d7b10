/**
 * A province batch item about the size of a demo license's (Chinese text, a signature), written by
 * hand, for the tests of the province simulator's state.
 */

/** The license id of item `n`: one fixed prefix and `n` in twelve digits. */
export function wireLicenseId(n: number): string {
  return `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.K4Y975IE${String(n).padStart(12, '0')}`;
}

/** Version `version` of license `n`: issued as version 1, changed after. */
export function wireItem(n: number, version: number) {
  const licenseId = wireLicenseId(n);
  return {
    key: `${licenseId}:${version}:province`,
    operation: version === 1 ? '01' : '09',
    license: {
      zzbs: `${licenseId}.00${version}.Y`,
      zzbh: `JY2370211${String(n).padStart(7, '0')}`,
      zzlxmc: '食品经营许可证',
      zzbfjg: '青岛西海岸新区市场监督管理局',
      czzt: `黄岛区第${n}号海鲜酒楼`,
      czztdm: '92370211MA32E6760A',
      zmxx: {
        businessForm: '餐饮服务经营者',
        businessItems: ['热食类食品制售', '冷食类食品制售'],
        premises: `山东省青岛市黄岛区珠江路${n}号`,
        note: 'x'.repeat(300),
      },
    },
    signature: {
      algorithm: '1.2.156.10197.1.501',
      value:
        'MEYCIQCHpAPuHxKaWNYeIHKaBsxU4VCWJXVcnKg9s19wHxmONwIhANgWhq/CKW+ViJPQzXEXEb3kn2GQw1TQyYRU6ZyWK3o1',
      digest: 'abea3875e147decc0ab6c0203fe0ca07087c8c32c06745c9c349791ec2f5c680',
      sealId: '3702110000001',
    },
  };
}
