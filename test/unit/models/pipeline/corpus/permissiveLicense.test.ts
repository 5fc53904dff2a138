import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npmPackageLicense } from '../../../../../models/pipeline/corpus/npmPackageLicense';
import { permissiveSpdx } from '../../../../../models/pipeline/corpus/permissiveLicense';
import { pythonDistLicense, sniffLicenseTexts } from '../../../../../models/pipeline/corpus/pythonDistLicense';

describe('permissiveSpdx', () => {
  const cases: [string, string | undefined][] = [
    ['MIT', 'MIT'],
    ['mit', 'MIT'],
    ['Apache 2.0', 'Apache-2.0'],
    ['Apache License, Version 2.0', 'Apache-2.0'],
    ['BSD 3-Clause License', 'BSD-3-Clause'],
    ['(MIT OR GPL-3.0-only)', 'MIT'],
    ['(GPL-3.0-only OR Apache-2.0)', 'Apache-2.0'],
    ['MIT AND ISC', 'MIT AND ISC'],
    ['MIT AND GPL-2.0', undefined],
    ['(MIT AND Zlib)', 'MIT AND Zlib'],
    ['Apache-2.0 WITH LLVM-exception', 'Apache-2.0'],
    ['GPL-2.0-or-later', undefined],
    ['MPL-2.0', undefined],
    ['Artistic-2.0', undefined],
    ['SEE LICENSE IN LICENSE.txt', undefined],
    ['BSD', undefined], // which BSD is not said
    ['UNLICENSED', undefined], // npm's word for "no license granted", not the Unlicense
    ['', undefined],
    ['(MIT', undefined],
  ];
  for (const [input, expected] of cases) it(JSON.stringify(input), () => assert.equal(permissiveSpdx(input), expected));
});

describe('npmPackageLicense', () => {
  it('reads the string, the old {type} object and the licenses array (alternatives)', () => {
    assert.deepEqual(npmPackageLicense({ license: 'ISC' }), { declared: 'ISC', spdx: 'ISC' });
    assert.deepEqual(npmPackageLicense({ license: { type: 'MIT', url: 'x' } }), { declared: 'MIT', spdx: 'MIT' });
    assert.deepEqual(npmPackageLicense({ licenses: [{ type: 'GPL-2.0' }, { type: 'MIT' }] }), { declared: 'GPL-2.0 OR MIT', spdx: 'MIT' });
    assert.deepEqual(npmPackageLicense({ name: 'x' }), { declared: '(none)', spdx: undefined });
  });
});

describe('pythonDistLicense', () => {
  const meta = (...headers: string[]) => `Metadata-Version: 2.1\nName: x\nVersion: 1\n${headers.join('\n')}\n\nLicense: GPL (in the body, ignored)\n`;
  it('prefers License-Expression, then a short License field', () => {
    assert.equal(pythonDistLicense(meta('License-Expression: MIT OR GPL-2.0'), []).spdx, 'MIT');
    assert.equal(pythonDistLicense(meta('License: Apache 2.0', 'Classifier: License :: OSI Approved :: GNU General Public License (GPL)'), []).spdx, 'Apache-2.0');
  });
  it('maps classifiers; several are alternatives that must all be permissive', () => {
    assert.equal(pythonDistLicense(meta('Classifier: License :: OSI Approved', 'Classifier: License :: OSI Approved :: MIT License'), []).spdx, 'MIT');
    assert.equal(pythonDistLicense(meta('Classifier: License :: OSI Approved :: MIT License', 'Classifier: License :: OSI Approved :: GNU General Public License (GPL)'), []).spdx, undefined);
  });
  it('resolves "BSD License" only from the license text', () => {
    const bsd3 = 'Redistribution and use ... Redistributions in binary form must reproduce ... Neither the name of the copyright holder nor ...';
    const bsd2 = 'Redistribution and use ... Redistributions in binary form must reproduce the above copyright notice.';
    assert.equal(pythonDistLicense(meta('Classifier: License :: OSI Approved :: BSD License'), [bsd3]).spdx, 'BSD-3-Clause');
    assert.equal(pythonDistLicense(meta('Classifier: License :: OSI Approved :: BSD License'), [bsd2]).spdx, 'BSD-2-Clause');
    assert.equal(pythonDistLicense(meta('Classifier: License :: OSI Approved :: BSD License'), []).spdx, undefined);
  });
  it('falls back to the license files, but not when one of them is copyleft', () => {
    const mit = 'Permission is hereby granted, free of charge, to any person obtaining a copy';
    assert.equal(pythonDistLicense(meta(), [mit]).spdx, 'MIT');
    assert.equal(pythonDistLicense(meta(), [mit, 'GNU General Public License version 3']).spdx, undefined);
  });
  it('tells ISC from 0BSD by the notice condition', () => {
    const grant = 'Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted';
    assert.deepEqual(sniffLicenseTexts([`${grant}, provided that the above copyright notice and this permission notice appear in all copies.`]), ['ISC']);
    assert.deepEqual(sniffLicenseTexts([`${grant}.`]), ['0BSD']);
  });
});
