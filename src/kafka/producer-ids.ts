/**
 * Producer ids for InitProducerId, handed out from blocks that are logged before use, as Kafka's
 * ProducerIdManager takes blocks of PRODUCER_ID_BLOCK_SIZE ids from the controller
 * (ProducerIdsRecord): a restart starts at the next block, so an id is never given twice even if
 * the previous run crashed in the middle of a block.
 */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

export interface ProducerIdBlockSource {
  allocateProducerIds(size: number): Promise<{ start: number; end: number }>;
}

export class ProducerIdAllocator {
  private next = 0;
  private end = 0;
  private refill: Promise<void> | null = null;

  constructor(private readonly source: ProducerIdBlockSource, private readonly blockSize = PRODUCER_ID_BLOCK_SIZE) {}

  async nextId(): Promise<number> {
    while (this.next >= this.end) {
      this.refill ??= this.source.allocateProducerIds(this.blockSize).then((block) => {
        this.next = block.start;
        this.end = block.end;
      }).finally(() => { this.refill = null; });
      await this.refill;
    }
    return this.next++;
  }
}
